"""Admin accounts: argon2 hashes, password checks, and `parallax admin create`."""

import io

import pytest
from sqlmodel import Session, select

from app.auth import AccountError, authenticate, change_password, create_user
from app.cli import main as cli_main
from app.models import User

PASSWORD = "correct horse battery staple"


def test_create_user_stores_an_argon2id_hash_not_the_password(session):
    user = create_user(session, "ada", PASSWORD)
    session.commit()
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash


def test_authenticate_accepts_only_the_right_password(session):
    create_user(session, "ada", PASSWORD)
    session.commit()
    assert authenticate(session, "ada", PASSWORD).username == "ada"
    assert authenticate(session, "ada", PASSWORD + "!") is None
    assert authenticate(session, "ada", "") is None
    assert authenticate(session, "nobody", PASSWORD) is None


@pytest.mark.parametrize(
    ("username", "password"),
    [("ada", "short"), ("", PASSWORD), ("has space", PASSWORD), ("<script>", PASSWORD)],
)
def test_unusable_accounts_are_refused(session, username, password):
    with pytest.raises(AccountError):
        create_user(session, username, password)


def test_a_username_is_taken_once(session):
    create_user(session, "ada", PASSWORD)
    with pytest.raises(AccountError, match="already exists"):
        create_user(session, "ada", PASSWORD + "2")


def test_cli_reads_the_password_from_stdin(settings, engine, monkeypatch, capsys):
    monkeypatch.setenv("PARALLAX_DATABASE_URL", settings.database_url)
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert cli_main(["admin", "create", "grace", "--password-stdin"]) == 0
    assert "created" in capsys.readouterr().out
    with Session(engine) as session:
        assert authenticate(session, "grace", PASSWORD) is not None


def test_cli_refuses_an_empty_password_there_is_no_default(settings, engine, monkeypatch, capsys):
    monkeypatch.setenv("PARALLAX_DATABASE_URL", settings.database_url)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert cli_main(["admin", "create", "grace", "--password-stdin"]) == 1
    assert "at least" in capsys.readouterr().err
    with Session(engine) as session:
        assert session.exec(select(User)).all() == []


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        (" " * 12, "besides spaces"),
        ("   password   ", "besides spaces"),
        ("password1234", "too common"),
        ("qwertyuiop12", "too common"),
        ("adaadaadaada", "too common"),
    ],
)
def test_blank_and_common_passwords_are_refused(session, password, reason):
    with pytest.raises(AccountError, match=reason):
        create_user(session, "ada", password)


def test_usernames_are_one_account_whatever_their_case_or_width(session):
    assert create_user(session, "Alice", PASSWORD).username == "alice"
    for spelling in ("ALICE", "ａｌｉｃｅ"):
        with pytest.raises(AccountError, match="already exists"):
            create_user(session, spelling, PASSWORD)
    assert authenticate(session, "ALICE", PASSWORD).username == "alice"


def test_a_new_password_is_checked_like_a_first_one(session):
    create_user(session, "ada", PASSWORD)
    with pytest.raises(AccountError, match="besides spaces"):
        change_password(session, "ADA", " " * 14)
    with pytest.raises(AccountError, match="no account"):
        change_password(session, "nobody", PASSWORD)
    assert change_password(session, "ada", "violet quarry lantern oboe") == 0
    assert authenticate(session, "ada", "violet quarry lantern oboe") is not None
    assert authenticate(session, "ada", PASSWORD) is None
