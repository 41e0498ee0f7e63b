"""What people type, read strictly: ids in addresses and forms, numbers as their language writes them.

Every route and form takes ids and numbers through here, so a value the database or
Babel cannot hold (an id past 2^63, an amount of 1e400) is refused where it enters,
with a message or a 404, instead of overflowing a query or a format further in.
"""
