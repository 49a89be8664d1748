"""Requirements evaluated for one firm: the backend protocol, the reference evaluator with
its explanations, the compiled fast path and the durable-rules backend."""
