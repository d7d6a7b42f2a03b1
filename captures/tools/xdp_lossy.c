// xdp_lossy.c - drop a random share of the TCP segments with payload to or
// from one port, *before* a packet capture on the same interface sees them.
//
// Used by ../record.sh (flow=lossy) as generic XDP on lo inside its private
// network namespace.  Generic XDP runs in the receive path ahead of the
// packet taps, so a dropped segment is missing from the capture while the
// sender's TCP counts it as sent: the capture shows later segments first and
// the retransmission filling the hole afterwards, i.e. what a sniffer sees
// when a segment is lost upstream of it.  Packets are only passed or dropped,
// never modified.
//
// Build: clang -O2 -g -target bpf -c xdp_lossy.c -o xdp_lossy.o
// Attach: ip link set dev lo xdpgeneric obj xdp_lossy.o sec xdp
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/tcp.h>

#ifndef PORT
#define PORT 5061
#endif
#ifndef DROP_PERCENT
#define DROP_PERCENT 8
#endif

static unsigned int (*bpf_get_prandom_u32)(void) = (void *) BPF_FUNC_get_prandom_u32;

#define htons_c(x) ((unsigned short) ((((x) & 0xff) << 8) | (((x) >> 8) & 0xff)))

__attribute__((section("xdp"), used))
int xdp_lossy(struct xdp_md *ctx)
{
    void *data = (void *) (long) ctx->data;
    void *end = (void *) (long) ctx->data_end;
    struct ethhdr *eth = data;
    struct iphdr *ip;
    struct tcphdr *tcp;
    unsigned int iplen, hlen;

    if ((void *) (eth + 1) > end || eth->h_proto != htons_c(ETH_P_IP))
        return XDP_PASS;
    ip = (void *) (eth + 1);
    if ((void *) (ip + 1) > end || ip->protocol != 6 /* TCP */)
        return XDP_PASS;
    hlen = ip->ihl * 4;
    if (hlen < sizeof(*ip))
        return XDP_PASS;
    tcp = (void *) ip + hlen;
    if ((void *) (tcp + 1) > end)
        return XDP_PASS;
    if (tcp->source != htons_c(PORT) && tcp->dest != htons_c(PORT))
        return XDP_PASS;
    iplen = htons_c(ip->tot_len);
    if (iplen <= hlen + tcp->doff * 4)   /* no payload: SYN, ACK, FIN */
        return XDP_PASS;
    if (bpf_get_prandom_u32() % 100 < DROP_PERCENT)
        return XDP_DROP;
    return XDP_PASS;
}

char _license[] __attribute__((section("license"), used)) = "GPL";
