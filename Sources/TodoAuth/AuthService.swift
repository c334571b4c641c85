public import TodoCore
public import TodoStore
import JWTKit
import Crypto
import FoundationEssentials

// MARK: - Claims

/// The JWT payload todod issues and accepts: `sub` (the user id) and `exp` (required).
struct TodoClaims: JWTPayload {
    var sub: SubjectClaim
    var exp: ExpirationClaim

    func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
    }
}

// MARK: - AuthService

/// Authentication for the HTTP face: HS256 bearer tokens, one-time login codes and browser sessions.
///
/// Tokens carry `sub` (the `UserID`) and a required `exp`. Any algorithm other than HS256, a bad signature,
/// an expired token or a missing/invalid `sub` is rejected with `AuthError.unauthorized`.
/// Login codes are single use and valid for 60 s. Browser sessions last `sessionTTL`; with a `SessionFile`
/// they survive a restart: the file holds only each cookie's HMAC-SHA256 under a key derived from the
/// secret, and sign-in and sign-out are durable before they are answered.
public actor AuthService {
    /// How long a one-time login code is valid, in seconds.
    public static let loginCodeTTL: Int64 = 60
    /// How long a browser session lasts, in seconds.
    public static let sessionTTL: Int64 = 7 * 24 * 3600

    private let keys = JWTKeyCollection()
    private let secret: [UInt8]
    private var keysAdded = false
    private let clock: any WallClock
    private var codes: [String: (user: UserID, expires: Timestamp)] = [:]
    private var sessions: [String: (user: UserID, expires: Timestamp)] = [:]
    /// The HMAC key for session digests, derived from `secret` (never the JWT key itself).
    private let sessionKey: SymmetricKey
    private let sessionFile: SessionFile?
    private var sessionGeneration: UInt64 = 0
    /// Tokens already verified, with their `exp` (seconds): skips the HMAC and JSON work on repeat requests.
    private var verified: [String: (user: UserID, expires: Double)] = [:]

    /// Builds the service from raw key bytes (at least 32 bytes).
    /// - Parameters:
    ///   - secret: the HMAC key.
    ///   - clock: the time source for codes, sessions and `exp`.
    ///   - sessionFile: where sessions are kept across restarts; nil keeps them in memory only. Its live
    ///     sessions are loaded now (blocking read), expired ones dropped.
    /// - Throws: `AuthError.weakSecret`, or `AuthError.sessionFile` when the file is unreadable.
    public init(secret: [UInt8], clock: any WallClock, sessionFile: SessionFile? = nil) throws {
        guard secret.count >= 32 else { throw AuthError.weakSecret }
        self.secret = secret
        self.clock = clock
        self.sessionKey = SymmetricKey(data: HMAC<SHA256>.authenticationCode(for: Array("todod browser sessions v1".utf8), using: SymmetricKey(data: secret)))
        self.sessionFile = sessionFile
        let now = clock.now()
        for stored in try sessionFile?.load() ?? [] {
            let expires = Timestamp(millisecondsSinceEpoch: stored.expiresMs)
            guard expires > now, let user = try? UserID(stored.user) else { continue }
            sessions[stored.digest] = (user, expires)
        }
    }

    /// Loads the secret: `environmentSecret` (`BETTER_AUTH_SECRET`) when set, else the 0600 file
    /// `auth-secret` in `dataDirectory`, created with 32 random bytes on first start. Browser sessions are
    /// kept in `sessions.json` (0600) in `dataDirectory` on `storage`.
    /// - Parameters:
    ///   - dataDirectory: the daemon's data directory (must exist).
    ///   - environmentSecret: `BETTER_AUTH_SECRET`, if set and non-empty.
    ///   - clock: the time source.
    ///   - storage: the disk under the data directory.
    public static func load(dataDirectory: String, environmentSecret: String?, clock: any WallClock, storage: any StorageBackend = POSIXStorage()) throws -> AuthService {
        let file = SessionFile(directory: dataDirectory, backend: storage)
        if let env = environmentSecret, !env.isEmpty {
            return try AuthService(secret: Array(env.utf8), clock: clock, sessionFile: file)
        }
        return try AuthService(secret: try SecretFile.loadOrCreate(in: dataDirectory), clock: clock, sessionFile: file)
    }

    private func ensureKeys() async {
        guard !keysAdded else { return }
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        keysAdded = true
    }

    // MARK: Tokens

    /// Signs a bearer token for `user`.
    /// - Parameters:
    ///   - user: the subject.
    ///   - ttlSeconds: lifetime; `exp` = now + ttl.
    /// - Returns: the compact JWT.
    public func issueToken(for user: UserID, ttlSeconds: Int) async throws -> String {
        await ensureKeys()
        let expires = clock.now().secondsSinceEpoch + Double(max(1, ttlSeconds))
        let claims = TodoClaims(sub: SubjectClaim(value: user.rawValue), exp: ExpirationClaim(value: Date(timeIntervalSince1970: expires)))
        return try await keys.sign(claims)
    }

    /// Verifies a bearer token and returns its user.
    /// - Parameter token: the compact JWT from `Authorization: Bearer`.
    /// - Throws: `AuthError.unauthorized` with the reason.
    public func verifyToken(_ token: String) async throws -> UserID {
        if let hit = verified[token] {
            if hit.expires > clock.now().secondsSinceEpoch { return hit.user }
            verified.removeValue(forKey: token)
            throw AuthError.unauthorized("token expired")
        }
        guard let alg = JWTHeaderPeek.algorithm(of: token) else { throw AuthError.unauthorized("malformed token") }
        guard alg == "HS256" else { throw AuthError.unauthorized("unsupported token algorithm") }
        await ensureKeys()
        let claims: TodoClaims
        do {
            claims = try await keys.verify(token, as: TodoClaims.self)
        } catch let error as JWTError {
            if case .claimVerificationFailure = error.errorType { throw AuthError.unauthorized("token expired") }
            if case .signatureVerificationFailed = error.errorType { throw AuthError.unauthorized("bad token signature") }
            throw AuthError.unauthorized("invalid token")
        } catch {
            throw AuthError.unauthorized("invalid token")
        }
        // jwt-kit checks exp against the system clock; check against ours too (tests use a manual clock).
        guard claims.exp.value.timeIntervalSince1970 > clock.now().secondsSinceEpoch else {
            throw AuthError.unauthorized("token expired")
        }
        guard let user = try? UserID(claims.sub.value) else { throw AuthError.unauthorized("token subject is not a valid user id") }
        if verified.count >= 1024 { verified.removeAll(keepingCapacity: true) }
        verified[token] = (user, claims.exp.value.timeIntervalSince1970)
        return user
    }

    // MARK: Login codes and sessions

    /// A fresh single-use code for `todoctl open`, valid for 60 s.
    /// - Parameter user: who signs in with it.
    public func makeLoginCode(for user: UserID) -> String {
        purge()
        let code = Self.randomToken()
        codes[Self.digest(code)] = (user, Timestamp(millisecondsSinceEpoch: clock.now().millisecondsSinceEpoch + Self.loginCodeTTL * 1000))
        return code
    }

    /// Redeems a login code (once) for a new session, saved durably before it is returned.
    /// - Parameter code: the code from the `/login#<code>` URL.
    /// - Returns: the session id (for the cookie), its user and its lifetime in seconds.
    /// - Throws: `AuthError.invalidCode` when unknown, used or expired; `AuthError.sessionFile` when the
    ///   session could not be saved (it is then not valid either).
    public func redeemLoginCode(_ code: String) async throws -> (sessionID: String, user: UserID, maxAge: Int64) {
        purge()
        guard let entry = codes.removeValue(forKey: Self.digest(code)) else { throw AuthError.invalidCode }
        guard entry.expires > clock.now() else { throw AuthError.invalidCode }
        let session = Self.randomToken()
        let key = sessionDigest(session)
        sessions[key] = (entry.user, Timestamp(millisecondsSinceEpoch: clock.now().millisecondsSinceEpoch + Self.sessionTTL * 1000))
        do {
            try await persistSessions()
        } catch {
            sessions.removeValue(forKey: key)
            throw error
        }
        return (session, entry.user, Self.sessionTTL)
    }

    /// The user of a live session, or nil (unknown, signed out or expired).
    /// - Parameter sessionID: the cookie value.
    public func user(forSession sessionID: String) -> UserID? {
        let key = sessionDigest(sessionID)
        guard let entry = sessions[key] else { return nil }
        guard entry.expires > clock.now() else {
            sessions.removeValue(forKey: key)
            return nil
        }
        return entry.user
    }

    /// Ends a session (sign-out), durably. Unknown ids are ignored.
    /// - Parameter sessionID: the cookie value.
    /// - Throws: `AuthError.sessionFile` when the revocation could not be saved (the session is already
    ///   refused until the next restart).
    public func endSession(_ sessionID: String) async throws {
        guard sessions.removeValue(forKey: sessionDigest(sessionID)) != nil else { return }
        try await persistSessions()
    }

    /// How many live sessions are held (tests and status).
    public var sessionCount: Int {
        let now = clock.now()
        return sessions.values.filter { $0.expires > now }.count
    }

    /// Writes every live session to the session file (no-op without one).
    private func persistSessions() async throws {
        guard let sessionFile else { return }
        let now = clock.now()
        sessionGeneration += 1
        let snapshot = sessions.filter { $0.value.expires > now }
            .map { StoredSession(digest: $0.key, user: $0.value.user.rawValue, expiresMs: $0.value.expires.millisecondsSinceEpoch) }
            .sorted { $0.digest < $1.digest }
        try await sessionFile.save(snapshot, generation: sessionGeneration)
    }

    /// The keyed digest a session is stored under: HMAC-SHA256 of the cookie value with `sessionKey`.
    private func sessionDigest(_ sessionID: String) -> String {
        HMAC<SHA256>.authenticationCode(for: Array(sessionID.utf8), using: sessionKey).map { hexByte($0) }.joined()
    }

    private func purge() {
        let now = clock.now()
        codes = codes.filter { $0.value.expires > now }
        sessions = sessions.filter { $0.value.expires > now }
    }

    /// A sign-in code or session cookie value: TodoCore's one id generator, 52 characters of a 33-letter
    /// alphabet (about 262 bits) from the system's cryptographic random source.
    private static func randomToken() -> String {
        var rng = SystemRandomNumberGenerator()
        return TodoCore.randomToken(length: 52, using: &rng)
    }

    /// Codes are stored by SHA-256 (sessions by a keyed digest), so lookups never compare secrets byte by byte.
    private static func digest(_ token: String) -> String {
        SHA256.hash(data: Array(token.utf8)).map { hexByte($0) }.joined()
    }
}

// MARK: - Test support

extension AuthService {
    /// Signs an arbitrary JSON payload with HS256 and this service's key (tests forge claims with it,
    /// for example a token without `sub`).
    /// - Parameter payloadJSON: the claims as JSON text.
    public func signRawPayloadForTesting(_ payloadJSON: String) -> String {
        func b64(_ bytes: [UInt8]) -> String {
            let table = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
            var out: [UInt8] = []
            var i = 0
            while i < bytes.count {
                let n = min(3, bytes.count - i)
                var v = UInt32(bytes[i]) << 16
                if n > 1 { v |= UInt32(bytes[i + 1]) << 8 }
                if n > 2 { v |= UInt32(bytes[i + 2]) }
                for k in 0...n { out.append(table[Int((v >> UInt32(18 - 6 * k)) & 0x3F)]) }
                i += 3
            }
            return String(decoding: out, as: UTF8.self)
        }
        let input = b64(Array(#"{"alg":"HS256","typ":"JWT"}"#.utf8)) + "." + b64(Array(payloadJSON.utf8))
        let mac = HMAC<SHA256>.authenticationCode(for: Array(input.utf8), using: SymmetricKey(data: secret))
        return input + "." + b64(Array(mac))
    }
}
