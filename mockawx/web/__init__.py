"""HTTP plumbing shared by every handler: the call, bodies, lists and OPTIONS."""
