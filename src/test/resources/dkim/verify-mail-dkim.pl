#!/usr/bin/perl
# verify-mail-dkim.pl - verifies each message's DKIM and DomainKeys signatures with Perl's
# Mail::DKIM (Debian's libmail-dkim-perl), with public keys from a file instead of DNS.
# Used by the end-to-end tests as a verifier that shares no code with mailfwd.
#
# usage: verify-mail-dkim.pl KEYFILE MESSAGE...
#
# KEYFILE has the format of the corpus's FAKE_DNS.dat. For each MESSAGE one line is printed:
#     MESSAGE overall=RESULT sigs=RESULT,RESULT,...
# with Mail::DKIM's overall result and one result per signature in the order it reports them.
use strict;
use warnings;
use Mail::DKIM::Verifier;
use Mail::DKIM::DNS;
use Net::DNS::RR;

@ARGV >= 2 or die "usage: verify-mail-dkim.pl KEYFILE MESSAGE...\n";
my ($keyfile, @messages) = @ARGV;

my %keys;
open my $k, '<', $keyfile or die "open $keyfile: $!\n";
while (my $line = <$k>) {
    $line =~ s/\s+\z//;
    next if $line eq '' || $line =~ /^#/;
    my ($name, $value) = split /\s+/, $line, 2;
    $name =~ s/\.\z//;
    $keys{lc $name} = $value;
}
close $k;

# Answer every key query from the file: no DNS traffic, and no answer means NXDOMAIN.
{
    no warnings 'redefine';
    *Mail::DKIM::DNS::query = sub {
        my ($domain, $type) = @_;
        (my $name = lc $domain) =~ s/\.\z//;
        if (uc $type ne 'TXT' || !exists $keys{$name}) {
            $@ = 'NXDOMAIN';
            return;
        }
        my @strings = unpack '(A255)*', $keys{$name};
        $@ = 'NOERROR';
        return Net::DNS::RR->new(name => $domain, type => 'TXT', txtdata => \@strings);
    };
}

for my $path (@messages) {
    open my $m, '<:raw', $path or die "open $path: $!\n";
    my $dkim = Mail::DKIM::Verifier->new();
    while (my $line = <$m>) {
        # Mail::DKIM wants network line ends; LF-only files are read as if CRLF.
        $line =~ s/(?<!\r)\n\z/\r\n/;
        $dkim->PRINT($line);
    }
    close $m;
    $dkim->CLOSE();
    my @sigs = map { $_->result } $dkim->signatures;
    print "$path overall=", $dkim->result, " sigs=", join(',', @sigs), "\n";
}
