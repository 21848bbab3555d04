# Socket activation as systemd does it, for the daemon's tests (perl-base only):
#
#   perl listen-fds.pl [--wrong-pid] NAME=tcp:HOST|NAME=unix:PATH ... -- COMMAND ARGS...
#
# Binds and listens on each socket, then forks. The child puts the sockets at descriptors 3, 4,
# ... (open across exec), sets LISTEN_FDS, LISTEN_FDNAMES and LISTEN_PID (its own pid; with
# --wrong-pid, this parent's) and execs COMMAND, which keeps that pid. This parent keeps its
# copies, as systemd does; once the child has exited it connects to each socket and prints
# "listening NAME" or "not listening NAME: ERROR" (does it still take connections for the next
# start?), and exits with the child's status.
use strict;
use warnings;
use Fcntl qw(F_DUPFD);
use IO::Socket::INET;
use IO::Socket::UNIX;
use POSIX ();

my $wrong_pid = @ARGV && $ARGV[0] eq '--wrong-pid' ? shift @ARGV : 0;
my (@names, @sockets);
while (@ARGV && $ARGV[0] ne '--') {
  my ($name, $kind, $where) = shift(@ARGV) =~ /^([^=]+)=(tcp|unix):(.+)$/
    or die "listen-fds: expected NAME=tcp:HOST or NAME=unix:PATH\n";
  my $socket = $kind eq 'tcp'
    ? IO::Socket::INET->new(LocalAddr => $where, LocalPort => 0, Listen => 16, ReuseAddr => 1)
    : IO::Socket::UNIX->new(Local => $where, Listen => 16);
  $socket or die "listen-fds: cannot listen on $kind:$where: $!\n";
  push @names, $name;
  push @sockets, $socket;
}
shift @ARGV;
@ARGV or die "listen-fds: no command after --\n";

my $parent = $$;
my $child = fork() // die "listen-fds: fork: $!\n";
if ($child == 0) {
  # Out of the way of 3, 4, ... first, since the sockets themselves may hold those numbers.
  my @high = map { fcntl($_, F_DUPFD, 100) or die "listen-fds: dup: $!\n" } @sockets;
  for my $i (0 .. $#high) {
    # dup2 leaves close-on-exec off: the descriptor survives the exec.
    defined POSIX::dup2($high[$i], 3 + $i) or die "listen-fds: dup2: $!\n";
    POSIX::close($high[$i]);
  }
  $ENV{LISTEN_FDS} = scalar @sockets;
  $ENV{LISTEN_FDNAMES} = join ':', @names;
  $ENV{LISTEN_PID} = $wrong_pid ? $parent : $$;
  exec { $ARGV[0] } @ARGV or die "listen-fds: cannot run $ARGV[0]: $!\n";
}
waitpid($child, 0);
my $status = $? >> 8;
$| = 1;
for my $i (0 .. $#sockets) {
  my $socket = $sockets[$i];
  my $probe = $socket->isa('IO::Socket::UNIX')
    ? IO::Socket::UNIX->new(Peer => $socket->hostpath)
    : IO::Socket::INET->new(PeerAddr => $socket->sockhost, PeerPort => $socket->sockport);
  print $probe ? "listening $names[$i]\n" : "not listening $names[$i]: $!\n";
}
exit $status;
