"""The review queue: what a sync could not decide alone, and the actions a human takes on it
(link, merge, different people, retry, dismiss). Items are filed by rules/review_items.py."""
