"""A no-LLM ADK app named ``nemo_agent`` for testing NemoClient against a real ``adk api_server``."""

from . import agent  # noqa: F401  (adk loads ``nemo_agent.agent.root_agent``)
