"""Build, check and publish the fact database (the code behind build.py)."""
