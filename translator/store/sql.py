"""What the two SQL stores (SQLite and PostgreSQL) write alike: their DB-API connections share it."""

from __future__ import annotations

__all__ = ["check_article_id", "delete_versions"]


def delete_versions(conn, where: str, params: tuple) -> dict[str, int]:
    """Delete the versions matching ``where`` (in the connection's own placeholder style) and their
    translations, inside the caller's transaction; how many of each went."""
    translations = conn.execute(
        "DELETE FROM translations WHERE (article_id, version) IN "
        f"(SELECT article_id, version FROM versions WHERE {where})", params).rowcount
    versions = conn.execute(f"DELETE FROM versions WHERE {where}", params).rowcount
    return {"versions": versions, "translations": translations}


def check_article_id(article_id: str) -> None:
    """ValueError unless ``article_id`` is a non-empty string."""
    if not isinstance(article_id, str) or not article_id:
        raise ValueError("an article id must be a non-empty string")
