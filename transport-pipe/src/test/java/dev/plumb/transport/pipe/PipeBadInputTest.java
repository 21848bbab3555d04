package dev.plumb.transport.pipe;

import dev.plumb.rpc.testing.AbstractBadInputTest;
import dev.plumb.rpc.testing.BadInputTarget;
import java.util.List;

/**
 * The bad-input suite over pipe: ({@link PipeChildTarget}): each case's bytes go to a server
 * child of its own, which must answer with the GO_AWAY or RESET the case expects and then exit
 * cleanly; the channel that checks the server still serves starts a fresh child.
 */
class PipeBadInputTest extends AbstractBadInputTest {
  @Override
  protected BadInputTarget startTarget(List<String> serverOptions) {
    return new PipeChildTarget(serverOptions);
  }
}
