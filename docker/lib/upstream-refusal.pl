# Prints the SQLSTATE with which a server refuses a physical replication connection as a user
# (28P01 wrong password, 28000 no pg_hba.conf entry or no such login role, 42501 no REPLICATION
# attribute...), or nothing when it lets the user in. psql and pg_basebackup show a refused
# connection only as the server's message, in the server's lc_messages; the SQLSTATE travels in
# the same ErrorResponse, so this speaks the protocol up to it: the startup message, then
# SCRAM-SHA-256, md5 or a clear-text password, as pg_hba.conf asks. Exit status 3: the server
# could not be asked (unreachable, no answer, TLS on, another authentication method, a non-ASCII
# password whose SASLprep this does not do): the caller then knows nothing more than before.
# Usage: perl upstream-refusal.pl HOST PORT USER, with the password in REPLICATION_PASSWORD.
use strict;
use warnings;
use IO::Socket::IP;
use Digest::SHA qw(sha256 hmac_sha256);
use Digest::MD5 qw(md5_hex);
use MIME::Base64 qw(encode_base64 decode_base64);

my ($host, $port, $user) = @ARGV;
my $password = $ENV{REPLICATION_PASSWORD} // '';
exit 3 if $password =~ /[^\x00-\x7f]/;
my $socket = IO::Socket::IP->new(PeerHost => $host, PeerPort => $port, Timeout => 3) or exit 3;
$socket->autoflush(1);

sub send_message {
  my ($type, $body) = @_;
  print {$socket} $type, pack('N', 4 + length $body), $body;
}

sub read_message {
  my ($header, $body) = ('', '');
  read($socket, $header, 5) == 5 or exit 3;
  my ($type, $length) = unpack('a N', $header);
  $length == 4 or read($socket, $body, $length - 4) == $length - 4 or exit 3;
  return ($type, $body);
}

# A server with TLS on may refuse plain connections ("hostssl" lines) where libpq would get in
# with TLS: its answer would mislead, so it is not asked.
print {$socket} pack('NN', 8, 80877103);
my $tls = '';
read($socket, $tls, 1) == 1 && $tls eq 'N' or exit 3;
# Protocol 3.0; database "replication" is what libpq sends for dbname=replication.
send_message('', pack('N', 196608) . join('', map { "$_\0" } user => $user, database => 'replication', replication => 'true') . "\0");
my $first_bare;
while (1) {
  my ($type, $body) = read_message();
  if ($type eq 'E') {
    my %fields = $body =~ /(.)([^\0]*)\0/g;
    print $fields{C} // '', "\n";
    exit 0;
  }
  if ($type eq 'Z') {  # ready for query: let in, and the role may replicate
    send_message('X', '');
    exit 0;
  }
  next unless $type eq 'R';
  my $request = unpack('N', $body);
  if ($request == 0 || $request == 12) {  # authentication ok; SCRAM's last word
    next;
  } elsif ($request == 3) {
    send_message('p', "$password\0");
  } elsif ($request == 5) {
    send_message('p', 'md5' . md5_hex(md5_hex($password . $user) . substr($body, 4, 4)) . "\0");
  } elsif ($request == 10) {
    my $nonce = encode_base64(join('', map { chr int rand 256 } 1 .. 18), '');
    $first_bare = "n=,r=$nonce";
    my $first = "n,,$first_bare";
    send_message('p', "SCRAM-SHA-256\0" . pack('N', length $first) . $first);
  } elsif ($request == 11) {
    my $server_first = substr($body, 4);
    my %attributes = $server_first =~ /([a-z])=([^,]*)/g;
    my $salt = decode_base64($attributes{s});
    # PBKDF2-HMAC-SHA-256, one block.
    my $u = hmac_sha256($salt . pack('N', 1), $password);
    my $salted = $u;
    for (2 .. $attributes{i}) {
      $u = hmac_sha256($u, $password);
      $salted ^= $u;
    }
    my $client_key = hmac_sha256('Client Key', $salted);
    my $final_bare = "c=biws,r=$attributes{r}";
    my $signature = hmac_sha256("$first_bare,$server_first,$final_bare", sha256($client_key));
    send_message('p', "$final_bare,p=" . encode_base64($client_key ^ $signature, ''));
  } else {
    exit 3;
  }
}
