"""Fixtures for tests of the Discord emulator (playground)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest

from playground.emulator import Channel, Emulator, Guild, Member, Role
from playground.ratelimits import GLOBAL_LIMIT


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "emulator_options(**kwargs): keyword arguments for the Emulator built by the "
        "`emulator` fixture (e.g. interaction_deadline=0.2)",
    )
    config.addinivalue_line(
        "markers",
        "emulator_expects_rejections: the test provokes violations/unhandled routes on purpose",
    )


@pytest.fixture
def faithful_rate_limits() -> bool:
    """Discord's rate limits in the emulator: on, as in the playground (a suite may switch
    them off, see tests/reliability/conftest.py)."""
    return True


@pytest.fixture
async def emulator(request: pytest.FixtureRequest,
                   faithful_rate_limits: bool) -> AsyncIterator[Emulator]:
    """A started emulator; afterwards asserts nothing was rejected and no route was unhandled.

    Mark a test ``@pytest.mark.emulator_expects_rejections`` when it provokes them on purpose.
    """
    marker = request.node.get_closest_marker("emulator_options")
    options = {"rate_limits": faithful_rate_limits, **(marker.kwargs if marker else {})}
    async with Emulator(**options) as emu:
        yield emu
    if request.node.get_closest_marker("emulator_expects_rejections") is None:
        assert [str(v) for v in emu.violations] == [], "bot sent payloads Discord would reject"
        assert emu.unhandled_routes == [], "bot called routes the emulator does not implement"
        assert emu.unanswered == [], "bot left interactions unanswered past the deadline"
    if emu.rate_limits.enabled and emu.rate_limits.global_limit == GLOBAL_LIMIT:
        # Under Discord's normal limit the bot never draws a global 429 (tests that play a
        # busy token lower the limit on purpose).
        assert [r for r in emu.rate_limits.refused if r[1] == "global"] == []
    assert {r.remote for r in emu.requests} <= {"127.0.0.1"}


@dataclass
class EmulatorWorld:
    """A guild with a #debates channel, a moderator role, and members alice and mo."""

    emu: Emulator
    guild: Guild
    channel: Channel
    mod_role: Role
    alice: Member
    mo: Member


@pytest.fixture
def emulator_world(emulator: Emulator) -> EmulatorWorld:
    guild = emulator.create_guild("Rostrum Test")
    channel = guild.create_text_channel("debates", topic="Japan–Korea relations")
    mod_role = guild.create_role("Moderators", permissions=1 << 34)
    alice = guild.create_member("alice")
    mo = guild.create_member("mo", roles=[mod_role])
    return EmulatorWorld(emulator, guild, channel, mod_role, alice, mo)
