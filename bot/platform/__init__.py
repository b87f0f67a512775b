"""Shared plumbing used by several features."""
