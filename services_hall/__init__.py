"""The services hall: service guides, online filing, inquiries, letters and ratings."""
