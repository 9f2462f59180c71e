/** Reflects every datagram to its sender: the loopback baseline's far end, pinned like the server. */
import { createSocket } from 'node:dgram';

const socket = createSocket('udp4');
socket.on('message', (data, from) => socket.send(data, from.port, from.address));
socket.bind(0, process.argv[2] ?? '127.0.0.1', () => process.send?.({ ready: true }));
process.on('message', (message: { id: number }) => {
  process.send?.({ id: message.id, result: socket.address().port });
});
process.on('disconnect', () => process.exit(0));
