package dev.plumb.transport.unix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.plumb.rpc.kit.LinkRoom;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.newsclub.net.unix.AFUNIXSocketChannel;
import org.newsclub.net.unix.AFUNIXSocketPair;

/**
 * The send room of a real socket pair: whatever it reports, a non-blocking write of that many
 * bytes is taken whole; a socket whose peer does not read ends up with none.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class UnixSendRoomTest {
  private AFUNIXSocketChannel sender;
  private AFUNIXSocketChannel receiver;
  private LinkRoom room;

  @BeforeEach
  void openPair() throws Exception {
    assumeTrue(System.getProperty("os.name").equals("Linux"), "the probe is Linux's");
    AFUNIXSocketPair<AFUNIXSocketChannel> pair = AFUNIXSocketPair.open();
    sender = pair.getSocket1();
    receiver = pair.getSocket2();
    room = UnixSendRoom.of(sender.socket());
  }

  @Test
  void anEmptySocketReportsOneBuffersWorthWithinHalfItsSendBuffer() throws Exception {
    long sendBuffer = sender.socket().getSendBufferSize();
    long expected = Math.min(32 * 1024, sendBuffer / 2 - 1024);
    assertEquals(expected, room.bytesWritableWithoutBlocking());
  }

  @Test
  void whatItReportsIsTakenWholeUntilTheSocketIsFull() throws Exception {
    sender.configureBlocking(false);
    long written = 0;
    long reported;
    while ((reported = room.bytesWritableWithoutBlocking()) > 0) {
      int taken = sender.write(ByteBuffer.allocate((int) reported));
      assertEquals(reported, taken, "after " + written + " bytes, the room was " + reported);
      written += taken;
      assertTrue(written < 64 * 1024 * 1024, "the room never ran out");
    }
    assertEquals(0, reported);
    assertTrue(written > 0);
    // The peer reads everything: the room is back.
    receiver.configureBlocking(true);
    ByteBuffer sink = ByteBuffer.allocate(64 * 1024);
    long read = 0;
    while (read < written) {
      sink.clear();
      read += receiver.read(sink);
    }
    assertEquals(Math.min(32 * 1024, sender.socket().getSendBufferSize() / 2 - 1024),
        room.bytesWritableWithoutBlocking());
  }

  @Test
  void aClosedSocketIsUnknown() throws Exception {
    sender.close();
    assertEquals(LinkRoom.UNKNOWN, room.bytesWritableWithoutBlocking());
  }

  @AfterEach
  void closePair() throws Exception {
    if (sender != null) {
      sender.close();
      receiver.close();
    }
  }
}
