"""A bare discord.py bot exercising every surface the emulator offers.

It is the reference client for the emulator's own tests and a baseline for benchmarks: each
command does one thing (fixed reply, embed, button, select, modal, defer+edit, thread, file,
autocomplete, subcommands, a persistent button) with no Rostrum logic in the way.
"""

from __future__ import annotations

import asyncio
import io
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

PING_REPLY = "pong"
PERSISTENT_ID = "barebot:persistent"
CSV_BYTES = b"hello,world\n1,2\n"
TOPICS = [f"topic-{i:02d}" for i in range(40)] + ["economic-relations", "history", "culture"]


class ButtonView(discord.ui.View):
    """A button that edits its own message when clicked."""

    def __init__(self) -> None:
        super().__init__(timeout=60)

    @discord.ui.button(label="Agree", style=discord.ButtonStyle.success, custom_id="barebot:agree")
    async def agree(self, interaction: discord.Interaction, button: discord.ui.Button[Any]) -> None:
        await interaction.response.edit_message(
            content=f"agreed by {interaction.user.name}", view=None
        )


class SideSelect(discord.ui.View):
    """A select whose choice is echoed back."""

    def __init__(self) -> None:
        super().__init__(timeout=60)

    @discord.ui.select(
        custom_id="barebot:side",
        placeholder="Pick a side",
        options=[
            discord.SelectOption(label="Pro", value="pro"),
            discord.SelectOption(label="Contra", value="contra"),
        ],
    )
    async def side(self, interaction: discord.Interaction, select: discord.ui.Select[Any]) -> None:
        await interaction.response.send_message(f"you picked {select.values[0]}", ephemeral=True)


class ArgumentModal(discord.ui.Modal, title="Make an argument"):
    """A modal with one paragraph input; the submission is posted back."""

    text: discord.ui.TextInput[Any] = discord.ui.TextInput(
        label="Your argument",
        custom_id="barebot:argument",
        style=discord.TextStyle.paragraph,
        max_length=1000,
    )

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(f"argument: {self.text.value}")


class ModalButton(discord.ui.View):
    """A button that opens :class:`ArgumentModal`."""

    def __init__(self) -> None:
        super().__init__(timeout=60)

    @discord.ui.button(label="Argue", custom_id="barebot:argue")
    async def argue(self, interaction: discord.Interaction, button: discord.ui.Button[Any]) -> None:
        await interaction.response.send_modal(ArgumentModal())


class PersistentView(discord.ui.View):
    """A timeout-less view registered with ``add_view`` so it survives restarts."""

    def __init__(self, bot: BareBot) -> None:
        super().__init__(timeout=None)
        self.bot = bot

    @discord.ui.button(label="Count", custom_id=PERSISTENT_ID)
    async def count(self, interaction: discord.Interaction, button: discord.ui.Button[Any]) -> None:
        self.bot.persistent_clicks += 1
        await interaction.response.send_message(
            f"persistent click {self.bot.persistent_clicks}", ephemeral=True
        )


def make_debate_group() -> app_commands.Group:
    """``/debate start topic:… [rounds] [side] [moderator]`` and ``/debate stop``."""
    debate = app_commands.Group(name="debate", description="Debate controls")

    @debate.command(name="start", description="Start a debate")
    @app_commands.describe(topic="What to debate", rounds="How many rounds")
    @app_commands.choices(
        side=[
            app_commands.Choice(name="Pro", value="pro"),
            app_commands.Choice(name="Contra", value="contra"),
        ]
    )
    async def start(
        interaction: discord.Interaction,
        topic: str,
        rounds: app_commands.Range[int, 1, 5] = 3,
        side: str = "pro",
        moderator: discord.Member | None = None,
    ) -> None:
        who = f" moderated by {moderator.name}" if moderator else ""
        await interaction.response.send_message(f"debate on {topic}: {rounds} rounds, {side}{who}")

    @debate.command(name="stop", description="Stop the debate")
    async def stop(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("debate stopped")

    return debate


class BareBot(commands.Bot):
    """``commands.Bot`` with one slash command per emulator feature; syncs globally on setup."""

    def __init__(
        self,
        *,
        sync_commands: bool = True,
        intents: discord.Intents | None = None,
        **options: Any,
    ) -> None:
        if intents is None:
            intents = discord.Intents.default()
            intents.message_content = True
        super().__init__(command_prefix="!", intents=intents, **options)
        self.sync_commands = sync_commands
        self.seen_messages: list[discord.Message] = []
        self.persistent_clicks = 0
        self.ready_count = 0
        self.resumed_count = 0
        self._register()

    def _register(self) -> None:
        tree = self.tree

        @tree.command(name="ping", description="Answers pong")
        async def ping(interaction: discord.Interaction) -> None:
            await interaction.response.send_message(PING_REPLY)

        @tree.command(name="embed", description="Sends an embed")
        async def embed(interaction: discord.Interaction) -> None:
            e = discord.Embed(title="Summary", description="Balanced view", color=0x3366FF)
            e.add_field(name="Japan", value="view A").add_field(name="Korea", value="view B")
            e.set_footer(text="Rostrum")
            await interaction.response.send_message(embed=e)

        @tree.command(name="button", description="Sends a button")
        async def button(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("do you agree?", view=ButtonView())

        @tree.command(name="select", description="Sends a select")
        async def select(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("pick one", view=SideSelect(), ephemeral=True)

        @tree.command(name="argue", description="Sends a button opening a modal")
        async def argue(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("make your case", view=ModalButton())

        @tree.command(name="modal", description="Opens a modal directly")
        async def modal(interaction: discord.Interaction) -> None:
            await interaction.response.send_modal(ArgumentModal())

        @tree.command(name="slow", description="Defers, then edits")
        async def slow(interaction: discord.Interaction) -> None:
            await interaction.response.defer(thinking=True)
            await asyncio.sleep(0.05)
            await interaction.edit_original_response(content="done thinking")

        @tree.command(name="thread", description="Opens a thread and posts in it")
        async def thread(interaction: discord.Interaction, name: str = "discussion") -> None:
            await interaction.response.send_message(f"thread {name} below")
            message = await interaction.original_response()
            created = await message.create_thread(name=name)
            await created.send("welcome to the thread")

        @tree.command(name="upload", description="Uploads a file")
        async def upload(interaction: discord.Interaction) -> None:
            file = discord.File(fp=io.BytesIO(CSV_BYTES), filename="data.csv")
            await interaction.response.send_message("here is the file", file=file)

        @tree.command(name="search", description="Autocompletes a topic")
        async def search(interaction: discord.Interaction, topic: str) -> None:
            await interaction.response.send_message(f"searching {topic}")

        @search.autocomplete("topic")
        async def search_topic(
            interaction: discord.Interaction, current: str
        ) -> list[app_commands.Choice[str]]:
            hits = [t for t in TOPICS if current.lower() in t]
            return [app_commands.Choice(name=t, value=t) for t in hits[:25]]

        @tree.command(name="purge", description="Moderators only")
        @app_commands.default_permissions(manage_threads=True)
        async def purge(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("purged", ephemeral=True)

        @tree.command(name="persistent", description="Posts a persistent button")
        async def persistent(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("persistent", view=PersistentView(self))

        tree.add_command(make_debate_group())

    async def setup_hook(self) -> None:
        self.add_view(PersistentView(self))
        if self.sync_commands:
            await self.tree.sync()

    async def on_ready(self) -> None:
        self.ready_count += 1

    async def on_resumed(self) -> None:
        self.resumed_count += 1

    async def on_message(self, message: discord.Message) -> None:
        if message.author.id != getattr(self.user, "id", None):
            self.seen_messages.append(message)
