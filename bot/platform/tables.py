"""The declarative base every feature's tables share. Every row carries its Slack workspace (team_id)."""

from __future__ import annotations

from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass
