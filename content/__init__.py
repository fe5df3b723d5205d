"""Editorial pages: articles, policies and interpretations, procurement notices, topics; taxonomy; feeds; content API."""
