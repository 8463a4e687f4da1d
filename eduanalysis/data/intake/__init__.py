"""Documents in, drafts out: read a document into normalised text blocks with locators
(:mod:`.document`, :mod:`.readers`), find its figures and propose rows of the figures
format for a person to review (:mod:`.extract`)."""
