package dev.plumb.transport.shm;

import dev.plumb.rpc.spi.PlumbAddress;
import dev.plumb.transport.unix.UnixRendezvous;
import java.net.URI;

/**
 * A parsed {@code shm:} address: the rendezvous socket file, its access options (as for
 * {@code unix:}) and the shm: options ({@link ShmOptions}).
 *
 * <pre>
 *   shm:///run/app.sock                absolute path of the rendezvous socket
 *   shm:/run/app.sock                  the same
 *   shm:app.sock                       relative to the working directory, made absolute here
 *   ...?ringSize=4m&amp;idle=spin&amp;mode=0660&amp;allowUids=1000
 * </pre>
 */
final class ShmEndpoint {
  static final String SCHEME = "shm";
  static final String FORMS = "expected shm:///absolute/path.sock or shm:relative/path.sock,"
      + " optionally with ?ringSize=1m&idle=backoff|spin&mode=0600&allowUids=...&allowGids=..."
      + "&serverUids=...";

  final UnixRendezvous socket;
  final ShmOptions options;

  private ShmEndpoint(UnixRendezvous socket, ShmOptions options) {
    this.socket = socket;
    this.options = options;
  }

  /** @throws IllegalArgumentException naming what is wrong and the accepted forms or values */
  static ShmEndpoint parse(URI uri) {
    UnixRendezvous socket = UnixRendezvous.parse(uri, SCHEME, ShmOptions.KEYS, FORMS);
    ShmOptions options = ShmOptions.parse(socket.option(ShmOptions.RING_SIZE),
        socket.option(ShmOptions.IDLE), uri.toString());
    return new ShmEndpoint(socket, options);
  }

  /** The address with every option, canonical. */
  PlumbAddress canonical() {
    return socket.canonical(options.toQuery());
  }

  /** The address without options: what servers report and clients connect to. */
  PlumbAddress address() {
    return socket.address();
  }

  /** For names and messages: {@code shm:/run/app.sock}. */
  String describe() {
    return SCHEME + ":" + socket.describe();
  }
}
