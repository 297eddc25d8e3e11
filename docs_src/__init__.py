"""Code shown in the docs: runnable apps that ``tests/test_docs_src`` drives."""
