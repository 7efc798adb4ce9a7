/// Limits on what a client may send, each answered with the status code its RFC names.
///
/// A request for this server is a few dozen bytes; anything near these limits is a mistake or an
/// attack, refused before it costs memory.
public enum HTTPLimits {
    /// Longest request target accepted, in bytes. Longer: `414 URI Too Long` (RFC 9110 §15.5.15).
    public static let maximumTargetBytes = 2048
    /// Largest header block accepted (names and values together), in bytes. Larger: `431 Request
    /// Header Fields Too Large` (RFC 6585 §5).
    public static let maximumHeaderBytes = 16 * 1024
    /// What NIO's HTTP decoder buffers at most for a request line and its header block, in bytes;
    /// past it the decoder gives up (answered `431`). Above the two limits before, so that a
    /// request just over one of them still gets the status code that names it.
    public static let decoderBytes = 64 * 1024
    /// How much of what the client sent an answer may quote back, in characters: enough to
    /// recognise a mistake, never an echo of a large or hostile input.
    public static let quotedPrefixCharacters = 64
}

extension String {
    /// At most `HTTPLimits.quotedPrefixCharacters` characters of `self`, marked when cut, with
    /// control characters replaced so a quoted value cannot break the one-line answer.
    var quotedPrefix: String {
        let limit = HTTPLimits.quotedPrefixCharacters
        let cut = count > limit
        let visible = prefix(limit).map { $0.isASCII && ($0.asciiValue! < 0x20 || $0.asciiValue! == 0x7F) ? "?" : String($0) }
        return visible.joined() + (cut ? "…" : "")
    }
}
