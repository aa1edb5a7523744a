"""Parallax: line up how news outlets covered the same event, claim by claim."""
