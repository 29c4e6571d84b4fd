"""A whole debate while Discord's HTTP API misbehaves: 5xx, 429 (route and global), slowness.

Each test switches a fault on, plays the same quick debate as a fault-free run, and checks
what members would notice: every interaction answered (the emulator fixture fails the test
otherwise), the thread reads exactly as without the fault (every phase card, warning,
argument and the result, each once and in order), nothing logged as an error, and the
fault really fired.
"""

from __future__ import annotations

import pytest

from playground.emulator import Emulator
from tests.e2e.world import button
from tests.reliability.helpers import (
    EXPECTED_THREAD,
    PATIENCE,
    PRO_TEXT,
    ReliabilityWorld,
    click,
    run_quick_debate,
    slash,
    start_debate,
    thread_lines,
    wait_line,
)

THREAD_POSTS = "POST /channels/{id}/messages"
CALLBACK = "POST /interactions/{id}/{token}/callback"


async def _completes_unchanged(world: ReliabilityWorld) -> None:
    d = await run_quick_debate(world)
    assert thread_lines(world, d) == EXPECTED_THREAD


async def test_http_503_on_thread_posts(rworld: ReliabilityWorld, emulator: Emulator) -> None:
    """discord.py does not retry a 503 on a channel route: the outbox must."""
    emulator.faults.http(503, times=4, route=THREAD_POSTS, every=2)
    await _completes_unchanged(rworld)
    assert emulator.faults.count("status") == 4


@pytest.mark.parametrize("status", [500, 502, 503])
async def test_http_5xx_on_any_route(rworld: ReliabilityWorld, emulator: Emulator,
                                     status: int) -> None:
    """Every 6th request of any kind fails: callbacks, followups, thread posts, edits."""
    emulator.faults.http(status, times=3, every=6)
    await _completes_unchanged(rworld)
    assert emulator.faults.count("status") == 3
    routes = {i.route for i in emulator.faults.injected}
    assert len(routes) >= 2, routes


async def test_http_429_on_thread_posts(rworld: ReliabilityWorld, emulator: Emulator) -> None:
    emulator.faults.rate_limit(retry_after=0.3, times=4, route=THREAD_POSTS, every=2)
    await _completes_unchanged(rworld)
    assert emulator.faults.count("rate_limit") == 4


async def test_http_429_global_on_any_route(rworld: ReliabilityWorld,
                                            emulator: Emulator) -> None:
    """A global 429 only slows the debate down. As on Discord, interaction callbacks and
    followups are exempt from the global limit and never get one."""
    emulator.faults.rate_limit(retry_after=0.4, global_=True, times=4, every=3)
    await _completes_unchanged(rworld)
    assert emulator.faults.count("rate_limit") == 4
    assert all(i.detail.startswith("global") for i in emulator.faults.injected)
    assert not any(i.route.startswith(("POST /interactions/", "POST /webhooks/",
                                       "PATCH /webhooks/"))
                   for i in emulator.faults.injected)


@pytest.mark.emulator_options(interaction_deadline=1.5)
async def test_slow_responses_2s(rworld: ReliabilityWorld, emulator: Emulator) -> None:
    """Thread posts and lobby edits take 2 s each: members' answers still come in time
    (announcements post in the background), and a slow callback still lands."""
    emulator.faults.delay(2.0, times=2, route=THREAD_POSTS, every=4)
    emulator.faults.delay(2.0, times=1, route="PATCH /channels/{id}/messages/{id}")
    await _completes_unchanged(rworld)
    assert emulator.faults.count("delay") == 3


async def test_http_503_when_creating_the_thread(rworld: ReliabilityWorld,
                                                 emulator: Emulator) -> None:
    """No thread, no debate: the moderator is told plainly, no announcement is left
    pointing at nothing, and trying again works."""
    emulator.faults.http(503, times=1, route="POST /channels/{id}/messages/{id}/threads")
    r = await slash(rworld.mo, "moderate start", channel=rworld.channel,
                    topic="history-versus-interests", format="quick")
    note = await emulator.wait_for(lambda: next((m for m in r.followups if m.ephemeral), None),
                                   timeout=PATIENCE)
    assert emulator.faults.count("status") == 1
    assert "Discord did not create the debate's thread (error 503)" in note.content
    assert "try again" in note.content
    assert [m for m in emulator.messages(rworld.channel) if not m.deleted and
            not m.ephemeral and not m.loading] == []
    assert emulator.threads(rworld.channel) == []
    await _completes_unchanged(rworld)


async def test_http_503_on_the_lobby_card(rworld: ReliabilityWorld,
                                          emulator: Emulator) -> None:
    """The thread exists but its first post fails: the debate starts anyway and its lobby
    card arrives from the outbox."""
    emulator.faults.http(503, times=1, route=THREAD_POSTS)
    await _completes_unchanged(rworld)
    assert emulator.faults.count("status") == 1
    assert len(emulator.threads(rworld.channel)) == 1


@pytest.mark.parametrize("status", [502, 503])
async def test_http_5xx_after_processing_on_thread_posts(rworld: ReliabilityWorld,
                                                         emulator: Emulator,
                                                         status: int) -> None:
    """Discord made the post but its answer was lost: discord.py resends a 502 itself, the
    outbox resends a 503 later. The thread still shows every announcement once."""
    emulator.faults.http(status, times=2, route=THREAD_POSTS, every=3, processed=True)
    await _completes_unchanged(rworld)
    assert emulator.faults.count("status") == 2


async def test_connection_reset_when_creating_the_thread(rworld: ReliabilityWorld,
                                                         emulator: Emulator) -> None:
    """The connection drops while the thread is being created: the moderator is told, the
    channel is not left blocked by a debate without a thread, and trying again works."""
    emulator.faults.disconnect(times=1, route="POST /channels/{id}/messages/{id}/threads")
    r = await slash(rworld.mo, "moderate start", channel=rworld.channel,
                    topic="history-versus-interests", format="quick")
    note = await emulator.wait_for(lambda: next((m for m in r.followups if m.ephemeral), None),
                                   timeout=PATIENCE)
    assert emulator.faults.count("disconnect") == 1
    assert "could not reach Discord" in note.content and "try again" in note.content
    await _completes_unchanged(rworld)


@pytest.mark.bot_options(lean_posts=True)
async def test_an_argument_whose_public_answer_fails_is_posted_by_the_outbox(
        rworld: ReliabilityWorld, emulator: Emulator) -> None:
    """With lean posts an argument is the public answer to the member's own command. If
    that answer is lost (the connection drops), the outbox posts the argument (once) and
    the member is still told, privately, that it was posted."""
    world = rworld
    d = await start_debate(world)
    for member, side in ((world.alice, "pro"), (world.bob, "con")):
        await click(member, d.lobby, button(d, f"join-{side}"))
    await click(world.mo, d.lobby, button(d, "begin"))
    await wait_line(world, d, "Phase 1/4 · Opening")
    emulator.faults.disconnect(times=1, route=CALLBACK)  # the argument's public answer
    r = await slash(world.alice, "debate argue", channel=d.thread, text=PRO_TEXT)
    assert (await r.private_reply(timeout=PATIENCE)).startswith("Posted as argument #1")
    await wait_line(world, d, "Argument #1 · alice · Pro")
    assert emulator.faults.count("disconnect") == 1
    assert thread_lines(world, d).count("Argument #1 · alice · Pro") == 1
