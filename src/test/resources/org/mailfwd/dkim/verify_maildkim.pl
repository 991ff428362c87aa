#!/usr/bin/perl
# Verifies every DKIM signature of a message with Mail::DKIM, keys from a file, no DNS.
#
# usage: verify_maildkim.pl KEYS MESSAGE...
# KEYS holds lines "selector._domainkey.domain TXT-value" (the corpus FAKE_DNS.dat format).
# For each message prints "== N" (its place in the arguments, from 0), then one line per
# DKIM signature, in header order: "RESULT d=DOMAIN s=SELECTOR".
# Line ends are made CRLF first, as they are on the wire.
use strict;
use warnings;
use Mail::DKIM::Verifier;
use Net::DNS;

my ($keys_file, @message_files) = @ARGV;
my %keys;
open(my $kf, '<', $keys_file) or die "open $keys_file: $!";
while (my $line = <$kf>) {
    $line =~ s/\s+$//;
    next if $line =~ /^#/ or $line !~ /\S/;
    my ($name, $value) = split(/\s+/, $line, 2);
    $name = lc $name;
    $name =~ s/\.$//;
    $keys{$name} = $value;
}
close $kf;

# The fake resolver: answers TXT queries from the file, NXDOMAIN for anything else.
no warnings 'redefine';
*Mail::DKIM::DNS::query = sub {
    my ($domain, $type) = @_;
    my $name = lc $domain;
    $name =~ s/\.$//;
    if (uc $type eq 'TXT' and exists $keys{$name}) {
        my $value = $keys{$name};
        my @chunks = ($value =~ /(.{1,200})/gs);
        return Net::DNS::RR->new(name => $domain, type => 'TXT', txtdata => \@chunks);
    }
    $@ = 'NXDOMAIN';
    return;
};
use warnings 'redefine';

for my $number (0 .. $#message_files) {
    print "== $number\n";
    verify($message_files[$number]);
}

sub verify {
    my ($message_file) = @_;
    open(my $mf, '<:raw', $message_file) or die "open $message_file: $!";
    my $message = do { local $/; <$mf> };
    close $mf;
    $message =~ s/(?<!\r)\n/\r\n/g;

    my $dkim = Mail::DKIM::Verifier->new();
    $dkim->PRINT($message);
    $dkim->CLOSE();
    foreach my $signature ($dkim->signatures) {
        next unless $signature->isa('Mail::DKIM::Signature');
        printf "%s d=%s s=%s\n", $signature->result, $signature->domain // '?',
            $signature->selector // '?';
    }
}
