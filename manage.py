#!/usr/bin/env python
"""Same as the `medborgarlofte` console script."""

from medborgarlofte.cli import main

if __name__ == "__main__":
    main()
