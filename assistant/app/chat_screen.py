"""The app's main screen, and the hook by which a mode of the app (the demo) extends it."""

from __future__ import annotations

from collections.abc import Iterable

from textual.screen import Screen
from textual.widget import Widget


class ChatScreen(Screen[None]):
    """The screen the app composes the chat into (``StormChatApp.compose``: header, transcript,
    input, status line, study card, footer). A mode of the app is a subclass, given to the app
    as its main screen: it adds widgets above the transcript, and keys and behaviour of its own,
    through the app's and the transcript's public methods."""

    def above_transcript(self) -> Iterable[Widget]:
        """Widgets the app composes above the transcript: none in the chat app itself."""
        return ()
