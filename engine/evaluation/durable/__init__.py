"""The durable-rules backend: IR → ruleset JSON → a private, synchronous durable Host. The only
place that imports durable."""
