import Foundation

/// Why audio could not be read, checked, generated or played.
///
/// Every error names its subject (a WAV file, a catalog, an ALSA device name or a prompt id), says
/// what is wrong with it, and, where there is something useful to say, how to fix it. Errors never
/// carry audio data or caller details.
public struct AudioError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of problem it is, for callers that branch on it (and for exit codes).
    public enum Code: String, Sendable, Hashable {
        /// The file could not be read at all (missing, a folder, no permission).
        case unreadable
        /// The file is not a RIFF/WAVE file.
        case notWAV
        /// The file ends before its headers say it does.
        case truncated
        /// A chunk header or the format chunk holds sizes or values that cannot be right.
        case malformed
        /// A valid WAV in an encoding Hotline does not play (float, 24-bit, ADPCM, …).
        case unsupportedEncoding
        /// A valid WAV that is not a telephony prompt (8 kHz, mono) where one is required.
        case notTelephony
        /// A prompt id that the catalog does not have.
        case unknownPrompt
        /// The ALSA device did not open (missing, busy, or no such PCM).
        case deviceUnavailable
        /// The ALSA device opened but refused the format (rate, channels, sample format).
        case deviceFormat
        /// Writing to the ALSA device failed and could not be recovered.
        case deviceIO
        /// A prompt generator tool (espeak-ng, sox) is missing or failed.
        case generatorFailed
    }

    public var code: Code
    /// The file path, device name or prompt id at fault.
    public var subject: String
    public var message: String
    /// How to fix it, when there is something useful to say.
    public var fix: String?

    public init(_ code: Code, subject: String, message: String, fix: String? = nil) {
        self.code = code
        self.subject = subject
        self.message = message
        self.fix = fix
    }

    public var description: String {
        "\(subject): error: \(message)" + (fix.map { " (fix: \($0))" } ?? "")
    }
}
