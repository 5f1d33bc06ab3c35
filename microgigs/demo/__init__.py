"""The demo campus `make run` starts with (only in demo mode):

- content.py: who is in it, the gigs they post, the words they write (data only);
- logins.py: the demo accounts, their one password and who each one shows;
- seed.py: puts the content into an empty database through the services (`seed_demo`);
- builders.py: rows the seed and the tests' factories both make (a confirmed account, a vetted
  employer, a filled-in profile).
"""
