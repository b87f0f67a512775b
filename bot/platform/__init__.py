"""Shared plumbing every feature uses; it imports no feature."""
