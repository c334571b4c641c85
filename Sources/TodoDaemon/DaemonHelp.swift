// MARK: - Help text

extension DaemonConfiguration {
    /// The `todod --help` discussion: environment variables, the config file and the defaults.
    public static let helpDiscussion = """
        todod keeps each user's tasks durable in JSON-lines files and serves them on a Unix control socket
        (todoctl) and, when enabled, on HTTP for the web UI. With a database URL it keeps them in PostgreSQL
        instead, and several todod instances (each with its own control socket) serve one database.

        Precedence: command-line flags > environment variables > config file > defaults.

        ENVIRONMENT
          TODOD_DATA_DIR         data directory
          TODOD_DATABASE_URL, DATABASE_URL  postgres://user:password@host:port/db?sslmode=verify-full selects the
                                 PostgreSQL store (the first one set wins; the password is never logged)
          TODOD_CONTROL_SOCKET   control socket path
          TODOD_HTTP             HTTP listen address HOST:PORT, or "off"
          TODOD_ALLOWED_GROUP    group whose members may use the control socket
          TODOD_LOG_LEVEL        trace|debug|info|notice|warning|error|critical
          TODOD_CHAT_RATE_LIMIT  chat messages per user per minute (0 = off)
          TODOD_MAX_STREAMS_PER_USER  concurrent chat streams per user
          TODOD_IDLE_TIMEOUT     seconds before an idle control connection is closed
          TODOD_TOKEN_TTL        default lifetime of `todoctl token` tokens, in seconds
          TODOD_CONFIG           config file, when --config is not given
          TODOD_UI               web chat panel: builtin (default, offline) or chatkit (OpenAI's CDN component)
          TODOD_CHATKIT_DOMAIN_KEY  domain key for the official ChatKit component (--ui chatkit)
          TODOD_LLM_BASE_URL     OpenAI-compatible endpoint (default https://api.openai.com/v1)
          TODOD_LLM_API_KEY, OPENAI_API_KEY  its key (not needed for a loopback URL; no flag)
          TODOD_LLM_MODEL        model name (default gpt-4.1-mini)
          TODOD_LLM_TIMEOUT      longest chat turn in seconds (default 30)
          TODOD_LLM_MAX_ROUNDS   model calls per chat turn (default 8)
          TODOD_LLM_CONTEXT_WINDOW  the model's context window in tokens (default 16384)
          TODOD_LLM_PARALLEL_TOOL_CALLS  auto (default: not sent), true or false
          TODOD_LLM_TITLES       on (default: the model names new threads) or off (the first words)
          BETTER_AUTH_SECRET     HTTP token signing key (>= 32 bytes; no flag)
          TODOD_AUTH_SECRET_FILE file holding that key; with neither, DATA_DIR/auth-secret is created

        CONFIG FILE (--config FILE): one "key = value" per line, "#" starts a comment, values may be quoted.
        Keys: data_dir, database_url, control_socket, http, allowed_group, log_level, chat_rate_limit, max_streams_per_user,
        idle_timeout, token_ttl, ui, chatkit_domain_key, auth_secret, auth_secret_file, llm_base_url, llm_api_key,
        llm_model, llm_timeout, llm_max_rounds, llm_context_window, llm_parallel_tool_calls, llm_titles (each also set by
        the variable or flag of the same name).
        todod --check-config prints the effective configuration with its sources, secrets redacted, and exits.
        Example:
          data_dir = /var/lib/todod
          http = 127.0.0.1:8765
          allowed_group = todo
          log_level = info

        DEFAULTS
          data dir        $STATE_DIRECTORY, else $XDG_STATE_HOME/todod, else ~/.local/state/todod
          store           the file store in the data directory; with database_url, PostgreSQL (the data
                          directory then holds only the auth-secret file, unless BETTER_AUTH_SECRET is set)
          control socket  $RUNTIME_DIRECTORY/todod.sock, else $XDG_RUNTIME_DIR/todod/todod.sock,
                          else /tmp/todod-UID/todod.sock
          http            127.0.0.1:8765
          access          the daemon's own uid and root (plus --allowed-group members)
          log level       info; chat rate limit 20/min; 16 streams per user; idle timeout 300 s; token TTL 30 days

        EXIT STATUS
          0   stopped cleanly (SIGTERM or SIGINT in any phase, including during recovery; todoctl stop)
          1   start-up failed: one log line names the cause and the address or path (HTTP address in use or
              not permitted, control socket unusable, data directory not a directory or not writable, lock
              held by another todod, bad configuration value, unreadable secret, database refusing the
              credentials or the TLS certificate); under systemd STATUS= and ERRNO= say the same. Also
              --check-config with a bad value. An unreachable database is not a failure: todod retries with
              backoff (0.25 s doubling to 5 s), logs each attempt and shows "waiting for database" in STATUS=.
          64  the command line does not parse
          70  the store failed while running (restart into recovery)
          A signal that arrives in the first milliseconds after exec, before main has blocked it, ends
          todod as it would any process (status 128+signal).

        SYSTEMD
          Type=notify: READY=1 once the listeners accept (after the recovery of torn tails; cleanly ended data
          files load in the background and requests wait for them), STATUS= lines, WATCHDOG=1 at half of
          WatchdogSec, STOPPING=1 on SIGTERM. Socket activation: sockets named "control" and "http"
          (FileDescriptorName=) are adopted and never unlinked. Logs carry <N> priorities when stderr is the
          journal. SIGTERM drains and exits 0; SIGHUP reloads log_level, allowed_group and token_ttl
          (chat_rate_limit and the listeners need a restart). A store I/O failure exits with status 70 so the service manager restarts into recovery.
        """
}
