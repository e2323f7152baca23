"""The staff view of follow-up worklists (see docs/worklists.md)."""
