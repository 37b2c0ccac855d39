"""Campaigns: one brief → many variants (directions × formats × copy rows), rendered concurrently
on the local engine or any executor / Dask cluster, shown in a gallery, picked and handed over."""

from __future__ import annotations

from .campaign import Campaign
from .spec import CampaignError, Variant

__all__ = ["Campaign", "CampaignError", "Variant"]
