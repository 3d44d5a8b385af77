"""Fetching new disclosures from the publishers' web pages into the raw folder.

`sources` reads sources.yaml; `crawl` walks each source's listing and article pages (`links`) and
hands each PDF link to `download`, through one `PoliteClient` (`client`: robots.txt, one request at a
time per host, retries) and with the per-URL memory of `state` (conditional GET, content hashes);
`naming` names saved files; `run` ties a poll together and `log` writes what happened to the landing zone.
"""
