// Calls the example calculator over gRPC (HTTP/2) with @grpc/grpc-js, the way any Node.js
// program would: node calculator-client.js TARGET CALCULATOR_PROTO
// TARGET is a gRPC target: 127.0.0.1:7001, or unix:///path/to.sock. Prints one line per call,
// which the demo and NodeClientTest compare with
// NodeCalculatorClient.EXPECTED; exits with 1 on anything unexpected.
'use strict';

const grpc = require('@grpc/grpc-js');
const protoLoader = require('@grpc/proto-loader');

const [target, protoPath] = process.argv.slice(2);
const definition = protoLoader.loadSync(protoPath, { longs: String, defaults: true });
const { Calculator } = grpc.loadPackageDefinition(definition).plumb.examples.calculator;
const calculator = new Calculator(target, grpc.credentials.createInsecure());

function deadline() {
  return new Date(Date.now() + 10000);
}

function unary(method, request) {
  return new Promise((resolve) => {
    calculator[method](request, { deadline: deadline() }, (error, response) => {
      resolve(error ? `${method} ${grpc.status[error.code]} ${error.details}`
        : `${method} ${response.value}`);
    });
  });
}

function primes(limit) {
  return new Promise((resolve) => {
    const values = [];
    const call = calculator.primes({ limit }, { deadline: deadline() });
    call.on('data', (number) => values.push(number.value));
    call.on('error', (error) => resolve(`primes ${grpc.status[error.code]} ${error.details}`));
    call.on('end', () => resolve(`primes ${values.join(',')}`));
  });
}

async function main() {
  console.log(await unary('add', { a: 2, b: 3 }));
  console.log(await unary('multiply', { a: '4000000000', b: '3' }));
  console.log(await unary('divide', { a: 1, b: 0 }));
  console.log(await primes(30));
  calculator.close();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
