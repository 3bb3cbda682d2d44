"""Demo mode: walk an audience through the study with a script of questions and captions.

``script`` reads and validates a script, ``builtin`` is the walkthrough that ships,
``plain`` renders it as text or Markdown without the app, and ``app_demo`` is the presenter
mode of the chat app. Importing this package (or ``script``, ``builtin``, ``plain``) does not
import Textual: ``demo --plain`` and ``--export`` run headless.
"""

from __future__ import annotations

from assistant.demo.builtin import BUILTIN, default_script
from assistant.demo.script import Script, ScriptError, Step, load_script

__all__ = ["BUILTIN", "Script", "ScriptError", "Step", "default_script", "load_script"]
