// Package integrations will hold Parley's one way out: a shared HTTP
// client (retries with backoff and Retry-After, a circuit breaker per
// destination, redacted logging, timeouts) and the outbox dispatchers for
// webhooks, Telegram, team sync to PostgreSQL and OpenAI-compatible models.
// Every outbound call goes through it; none exists yet.
package integrations
