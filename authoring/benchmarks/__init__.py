"""Parts of the shipped benchmark (authoring/bench.py) that measure the app through its pages.

history  pages that grow with an agreement's history: 2,000 proposals, 2,000 comments and
         6,000 audit events against the same agreement at a tenth of that;
size     the draft page of a 3,000-clause agreement against a 300-clause one;
writes   accepting a proposal with 2,000 earlier ones against the first;
register the register of a member of 100,000 agreements against one of 10 (its own throw-away
         databases: SQLite, and PostgreSQL when given a server).

Each builds a throw-away SQLite app (site.py) fast, through the models and services rather
than HTTP, times GETs and POSTs through a logged-in test client, big and small interleaved so
both see the same noise, and reports ratios: on a shared machine a ratio taken within one
run says more than a time.
"""
