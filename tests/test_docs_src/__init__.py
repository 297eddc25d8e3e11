"""Tests of the code and the HTTP exchanges shown in the docs."""
