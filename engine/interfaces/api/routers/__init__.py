"""One router per resource of the HTTP API; `engine.interfaces.api.app` assembles them."""
