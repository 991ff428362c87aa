package org.mailfwd.dkim;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An address block such as 192.0.2.0/24 or 2001:db8::/32. Only address literals are ever
 * parsed, so nothing here can start a DNS lookup.
 */
public record Cidr(byte[] network, int prefix) {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    /**
     * @throws IllegalArgumentException if the text is not an address or address/prefix
     */
    public static Cidr parse(String text) {
        String[] parts = text.strip().split("/", 2);
        byte[] address = literal(parts[0]).orElseThrow(() ->
                new IllegalArgumentException("\"" + text + "\" is not an IP address block"));
        int max = address.length * 8;
        int prefix = max;
        if (parts.length == 2) {
            try {
                prefix = Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                prefix = -1;
            }
        }
        if (prefix < 0 || prefix > max) {
            throw new IllegalArgumentException("\"" + text + "\" has a bad prefix length");
        }
        return new Cidr(address, prefix);
    }

    /** The bytes of an IPv4 or IPv6 literal; empty for anything else, names included. */
    static Optional<byte[]> literal(String text) {
        String s = text.strip();
        if (IPV4.matcher(s).matches()) {
            byte[] v4 = new byte[4];
            String[] octets = s.split("\\.");
            for (int i = 0; i < 4; i++) {
                int octet = Integer.parseInt(octets[i]);
                if (octet > 255) {
                    return Optional.empty();
                }
                v4[i] = (byte) octet;
            }
            return Optional.of(v4);
        }
        if (!IPV6.matcher(s).matches()) {
            return Optional.empty();
        }
        try {
            // A text with a colon is only ever read as an IPv6 literal: no lookup.
            return Optional.of(InetAddress.getByName(s).getAddress());
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** Whether {@code address} (a literal, as Postfix's CLIENT_ADDRESS) is in the block. */
    public boolean contains(String address) {
        Optional<byte[]> bytes = literal(address);
        if (bytes.isEmpty() || bytes.get().length != network.length) {
            return false;
        }
        for (int bit = 0; bit < prefix; bit++) {
            int mask = 0x80 >> (bit % 8);
            if ((bytes.get()[bit / 8] & mask) != (network[bit / 8] & mask)) {
                return false;
            }
        }
        return true;
    }
}
