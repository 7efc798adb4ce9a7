/// Bodies that are not JSON in ways people often send by mistake, recognised so the refusal can
/// name the likely cause and the fix instead of only "not valid JSON".
///
/// Consulted only once a body has been refused as malformed JSON; it never makes a body valid.
public enum CommonMistake: Equatable, Sendable {
    /// `num=5`: form data, what `curl -d num=5` and PowerShell's `-Body @{num=5}` send.
    case formData
    /// `'{"num": 5}'`: the quotes of a Unix shell, which Windows `cmd` passes on as they are.
    case singleQuotedBody
    /// `{num: 5}` or `{'num': 5}`: a key without JSON's double quotes (a JavaScript habit).
    case keyWithoutDoubleQuotes

    /// The mistake `body` most likely shows, if any.
    public static func recognise<Bytes: Collection>(in body: Bytes) -> CommonMistake? where Bytes.Element == UInt8 {
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
        let bytes = Array(body.drop(while: isSpace).reversed().drop(while: isSpace).reversed())
        guard let first = bytes.first, let last = bytes.last else { return nil }
        let quote = UInt8(ascii: "'")
        if first == quote, last == quote, bytes.count > 1 {
            return .singleQuotedBody
        }
        if first == UInt8(ascii: "{"),
           let key = bytes.dropFirst().first(where: { !isSpace($0) }),
           key == quote || isNameStart(key) {
            return .keyWithoutDoubleQuotes
        }
        if isNameStart(first), let equals = bytes.firstIndex(of: UInt8(ascii: "=")),
           bytes[..<equals].allSatisfy({ isNameStart($0) || (0x30...0x39).contains($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") }) {
            return .formData
        }
        return nil
    }

    /// One line: what was sent, why it happens, and what to send instead.
    public var advice: String {
        switch self {
        case .formData:
            return #"body is form data (num=5), which curl -d num=5 and PowerShell's -Body @{num=5} send: "#
                + #"send JSON, e.g. curl -d '{"num": 5}' URL, or in PowerShell -Body '{"num": 5}'"#
        case .singleQuotedBody:
            return #"body is wrapped in single quotes, which Windows cmd passes on as they are: "#
                + #"in cmd write -d "{\"num\": 5}", or use PowerShell or a Unix shell"#
        case .keyWithoutDoubleQuotes:
            return #"JSON needs double quotes around keys: send {"num": 5}, not {num: 5} or {'num': 5}"#
        }
    }

    private static func isNameStart(_ byte: UInt8) -> Bool {
        (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || byte == UInt8(ascii: "_")
    }
}
