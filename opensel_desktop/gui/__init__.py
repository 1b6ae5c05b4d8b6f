"""The Qt face. The only package that imports Qt."""
