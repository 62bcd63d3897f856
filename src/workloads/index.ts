export * from './ec2-instance-role';
export * from './ecs-task-role';
export * from './ecs-task-execution-role';
export * from './lambda-execution-role';
export * from './elevation-role';
