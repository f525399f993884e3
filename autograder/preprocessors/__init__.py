"""The nbgrader preprocessors the course adds (one per file), named in nbgrader_config.py."""
