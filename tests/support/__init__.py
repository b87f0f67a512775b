"""What tests share: the running app, steps people take, test databases and requests.

Test modules import helpers from here only, never from one another; fixtures are in
tests/conftest.py.
"""
