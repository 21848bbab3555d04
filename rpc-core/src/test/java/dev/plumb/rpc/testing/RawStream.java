package dev.plumb.rpc.testing;

import java.io.Closeable;
import java.io.InputStream;
import java.io.OutputStream;

/** A raw byte stream to a server, for feeding it bytes no well-behaved client would send. */
public interface RawStream extends Closeable {
  InputStream in();

  OutputStream out();
}
