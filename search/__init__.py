"""Search over everything public, with Chinese segmentation."""
