// libFuzzer entry point for the request-body validation in Sources/SeedInput.
//
// Built by Tests/fuzz/fuzz.mk together with those sources into one module, so it sees the same
// code the server runs. Beyond "no crash", it checks properties that must hold for every input:
// the answer is deterministic, an accepted body names a number that re-parses to itself, and
// every refusal explains itself on one line; and nothing that is not strict JSON (RFC 8259, checked
// by StrictJSON.swift, an independent validator) is ever accepted.
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func seedRequestBodyFuzzTarget(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let first = SeedRequestBody.parse(bytes)
    let again = SeedRequestBody.parse(Array(bytes))
    require(first == again, "parse is not deterministic")

    switch first {
    case .success(let value):
        require(size <= SeedRequestBody.maximumBytes, "accepted a body over the size limit")
        require(StrictJSON.isValid(bytes), "accepted a body that is not valid JSON")
        let canonical = Array(#"{"num": \#(value)}"#.utf8)
        require(SeedRequestBody.parse(canonical) == .success(value),
                "accepted \(value) but refuses its canonical form")
    case .failure(let error):
        let reason = error.description
        require(!reason.isEmpty && !reason.contains("\n"), "a refusal must be one line")
        require(error.isBodyTooLarge == (size > SeedRequestBody.maximumBytes),
                "413 must mean exactly 'over the size limit'")
    }
    return 0
}

/// Like `precondition`, but the message survives an optimised build: libFuzzer then saves the
/// input and the message says which property broke.
func require(_ condition: Bool, _ message: @autoclosure () -> String) {
    guard !condition else { return }
    fputs("property violated: \(message())\n", stderr)
    abort()
}
