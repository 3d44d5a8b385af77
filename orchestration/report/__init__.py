"""The analysts' report: static HTML pages with Vega-Lite charts, built from the marts (see build.py).

Importing the package imports nothing: the process that writes the Vega script (vega.py) needs only vl-convert.
"""
