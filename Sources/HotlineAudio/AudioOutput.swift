import Foundation

/// The `--audio` option: whether prompts are heard.
public enum AudioMode: String, Sendable, Hashable, CaseIterable {
    /// Play where the device opens; otherwise show the transcript with a one-line notice.
    case auto
    /// Play, and fail with the device error (listing the devices ALSA knows) if it does not open.
    case alsa
    /// Play nothing; the transcript is the only output.
    case off
}

/// Where prompts go, once `--audio` and `--device` are resolved.
public enum AudioOutput: Sendable {
    /// Prompts play on this device.
    case device(PCMPlayer)
    /// Prompts are only shown as text. `notice` is one line saying why (for `--audio auto`), `nil`
    /// when the user asked for silence.
    case transcriptOnly(notice: String?)

    /// Resolves `--audio` and `--device`.
    ///
    /// - `auto`: opens the device; if it does not open, `.transcriptOnly` with a notice such as
    ///   `audio: ALSA device 'default' did not open (No such file or directory); showing the
    ///   transcript only (pick a device with --device NAME, or --audio off)`.
    /// - `alsa`: opens the device or throws its ``AudioError`` (which lists the devices ALSA knows).
    /// - `off`: `.transcriptOnly(notice: nil)` without touching ALSA.
    public static func resolve(
        mode: AudioMode, device: String, format: PCMFormat = .telephony, pacing: PlaybackPacing = .realTime
    ) throws(AudioError) -> AudioOutput {
        switch mode {
        case .off:
            return .transcriptOnly(notice: nil)
        case .alsa:
            return .device(try PCMPlayer(device: device, format: format, pacing: pacing))
        case .auto:
            do {
                return .device(try PCMPlayer(device: device, format: format, pacing: pacing))
            } catch {
                return .transcriptOnly(notice: notice(for: error))
            }
        }
    }

    /// The one-line reason `--audio auto` fell back to the transcript.
    static func notice(for error: AudioError) -> String {
        let reason = error.message.split(separator: ";", maxSplits: 1).first.map(String.init) ?? error.message
        return "audio: \(error.subject) \(reason); showing the transcript only (pick a device with --device NAME, `aplay -L` lists them, or --audio off)"
    }
}
