"""Tests of `/lvm situation`."""
